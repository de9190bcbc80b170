"""Drives CellProfiler's real GUI for test_gui.py, from inside it: CellProfiler's plugin loader imports
this file from the plugins folder (it defines no module), and it starts a thread that waits for the
main window, then presses the Parascope module's buttons as a user would (button events on the real
controls), takes screenshots of the screen and writes what it saw to a JSON report. Its steps come
from the file named by PARASCOPE_GUI_DRIVER."""

import json
import os
import struct
import subprocess
import threading
import time
import traceback

import wx

STEPS = os.environ.get("PARASCOPE_GUI_DRIVER")


class Driver:
    def __init__(self, steps_file):
        self.steps = json.loads(open(steps_file).read())
        self.out = self.steps["out"]
        self.report = {"steps": []}

    # The GUI thread does every wx call; this thread waits.
    def on_gui(self, fn, *args):
        done, result = threading.Event(), {}

        def call():
            try:
                result["value"] = fn(*args)
            except Exception as e:  # noqa: BLE001 (reported, then raised here)
                result["error"] = e
            done.set()

        wx.CallAfter(call)
        if not done.wait(120):
            raise RuntimeError(f"the GUI thread did not run {fn.__name__} within 120 s: it is blocked")
        if "error" in result:
            raise result["error"]
        return result.get("value")

    def wait(self, what, condition, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            value = self.on_gui(condition)
            if value:
                return value
            if time.monotonic() > deadline:
                raise RuntimeError(f"gave up waiting for {what}")
            time.sleep(0.2)

    def note(self, **facts):
        self.report["steps"].append(facts)

    def screenshot(self, name):
        """The X screen as xwd sees it (wx's own screen DC returns a stale image under GTK 3), cropped to
        the main window and the dialogs over it."""
        def area():
            rect = wx.GetApp().frame.GetScreenRect()
            for top in wx.GetTopLevelWindows():
                if top.IsShown() and isinstance(top, wx.Dialog):
                    rect = rect.Union(top.GetScreenRect())
            return rect.x, rect.y, rect.x + rect.width, rect.y + rect.height
        def repaint():
            for top in wx.GetTopLevelWindows():
                if top.IsShown():
                    top.Refresh()
                    top.Update()
        self.on_gui(repaint)
        time.sleep(0.7)  # let the last paint land
        path = os.path.join(self.out, name)
        screen = xwd_screen(os.environ["DISPLAY"])
        # A dialog's own pixels, read from its X window (they are not in the root window's copy here).
        dialogs = self.on_gui(lambda: [(w.GetHandle(), w.ClientToScreen(wx.Point(0, 0)))
                                       for w in wx.GetTopLevelWindows() if w.IsShown() and isinstance(w, wx.Dialog)])
        for handle, at in dialogs:
            screen.paste(xwd_screen(os.environ["DISPLAY"], window=handle), (at.x, at.y))
        screen.crop(self.on_gui(area)).save(path)
        self.note(screenshot=path)

    # Finding the real controls.
    def dialogs(self, class_name):
        return [w for w in wx.GetTopLevelWindows() if type(w).__name__ == class_name and w.IsShown()]

    def press(self, label):
        def find_and_post():
            frame = wx.GetApp().frame
            buttons = [w for w in all_children(frame) if isinstance(w, wx.Button) and w.GetLabel() == label
                       and w.IsShownOnScreen()]
            if not buttons:
                raise RuntimeError(f"no button {label!r} on screen")
            post_click(buttons[0])
        self.on_gui(find_and_post)
        self.note(pressed=label)

    def module(self):
        return self.on_gui(lambda: [m for m in wx.GetApp().frame.pipeline.modules() if m.module_name == "Parascope"][0])

    def outcome(self):
        """Waits for the module's outcome dialog, screenshots it, reads it and presses OK."""
        dialog = self.wait("the outcome dialog", lambda: (self.dialogs("OutcomeDialog") or [None])[0])
        return dialog

    def close_outcome(self, dialog, screenshot):
        self.screenshot(screenshot)
        message = self.on_gui(lambda: dialog.outcome.message)
        ok = self.on_gui(lambda: dialog.outcome.ok)
        self.on_gui(lambda: dialog.EndModal(wx.ID_OK))
        self.note(outcome=message, ok=ok)
        return ok, message

    def run(self):
        app = None
        while app is None or getattr(app, "frame", None) is None or not self.on_gui(app.frame.IsShown):
            time.sleep(0.5)
            app = wx.GetApp()
        shown = self.on_gui(lambda: [(type(w).__name__, w.GetTitle()) for w in wx.GetTopLevelWindows() if w.IsShown()])
        self.note(windows_at_start=shown)
        self.on_gui(lambda: app.frame.SetSize(wx.Size(1180, 760)))
        pipeline = self.on_gui(lambda: app.frame.pipeline)
        self.on_gui(lambda: pipeline.add_urls(self.steps["image_urls"]))
        number = self.module().module_num
        self.on_gui(lambda: app.frame._CPFrame__pipeline_list_view.select_one_module(number))
        self.wait("the module's settings", lambda: any(
            isinstance(w, wx.Button) and w.GetLabel() == "Submit to AWS" and w.IsShownOnScreen()
            for w in all_children(app.frame)))
        self.screenshot("cellprofiler-module.png")

        # Submit, then Cancel while the files upload (the test slowed the uploads down).
        self.press("Submit to AWS")
        dialog = self.wait("the submit's progress dialog", lambda: (self.dialogs("CommandDialog") or [None])[0])
        self.wait("the first file uploaded", lambda: dialog.run.progress.files_stored >= 1 or dialog.run.done())
        # The main window still answers while the command runs: a round trip through the GUI thread.
        started = time.monotonic()
        self.on_gui(lambda: app.frame.GetTitle())
        self.note(gui_answers_during_upload=True, phase=self.on_gui(lambda: dialog.run.progress.phase),
                  progress=self.on_gui(lambda: dialog.status.GetLabel()), round_trip_under_2s=time.monotonic() - started < 2)
        self.screenshot("cellprofiler-submit-progress.png")
        self.on_gui(lambda: post_click(dialog.cancel))
        self.note(pressed="Cancel")
        self.close_outcome(self.outcome(), "cellprofiler-submit-cancelled.png")

        # Submit again, to the end.
        self.press("Submit to AWS")
        ok, message = self.close_outcome(self.outcome(), "cellprofiler-submitted.png")
        if not ok:
            raise RuntimeError(f"the second submit failed: {message}")
        self.wait("the next steps' buttons", lambda: any(
            isinstance(w, wx.Button) and w.GetLabel() == "Monitor" and w.IsShownOnScreen() for w in all_children(app.frame)))
        self.screenshot("cellprofiler-next-steps.png")

        self.press("Monitor")
        monitor = self.wait("the monitor", lambda: (self.dialogs("MonitorDialog") or [None])[0])
        self.wait("the queue's counts", lambda: monitor.status.GetLabel().startswith("Queue "))
        self.note(monitor=self.on_gui(lambda: monitor.status.GetLabel()))
        self.screenshot("cellprofiler-monitor.png")
        self.on_gui(lambda: monitor.Close())

        self.press("Clean up")
        self.close_outcome(self.outcome(), "cellprofiler-clean-up.png")

    def main(self):
        try:
            self.run()
        except Exception:  # noqa: BLE001 (the test reads the report)
            self.report["error"] = traceback.format_exc()
            try:
                self.screenshot("failure.png")
            except Exception:  # noqa: BLE001
                pass
        with open(os.path.join(self.out, "report.json"), "w") as out:
            json.dump(self.report, out, indent=1)
        os._exit(0)  # CellProfiler would ask to save the pipeline; the test has what it needs


def xwd_screen(display, window=None):
    """The root window as a PIL image, from xwd's dump (X Window Dump: a header of big-endian 32-bit fields,
    a colour map, then rows of pixels)."""
    import numpy as np
    from PIL import Image

    which = ["-id", str(window)] if window else ["-root"]
    dump = subprocess.run(["xwd", *which, "-silent", "-display", display], capture_output=True, check=True).stdout
    fields = struct.unpack(">25I", dump[:100])
    header_size, width, height, byte_order = fields[0], fields[4], fields[5], fields[7]
    bits_per_pixel, bytes_per_line, colours = fields[11], fields[12], fields[19]
    step = bits_per_pixel // 8
    start = header_size + colours * 12
    rows = np.frombuffer(dump[start:start + bytes_per_line * height], np.uint8).reshape(height, bytes_per_line)
    pixels = rows[:, :width * step].reshape(height, width, step)
    # Least significant byte first: blue, green, red (then padding); else the other way round.
    rgb = pixels[:, :, [2, 1, 0]] if byte_order == 0 else pixels[:, :, [step - 3, step - 2, step - 1]]
    return Image.fromarray(np.ascontiguousarray(rgb))


def all_children(window):
    for child in window.GetChildren():
        yield child
        yield from all_children(child)


def post_click(button):
    event = wx.CommandEvent(wx.EVT_BUTTON.typeId, button.GetId())
    event.SetEventObject(button)
    wx.PostEvent(button, event)


def round_module_panel_coordinates():
    """CellProfiler 5's settings panel (ModuleSizer.RecalcSizes) passes float coordinates to wx.Point and
    wx.Size, which Debian's wxPython 4.2.0 refuses (TypeError: the panel's controls stay piled up in its
    corner, for every module). CellProfiler declares wxPython>=4.2.0, so this is CellProfiler's bug on this
    wxPython, not the module's: here, for that one file of CellProfiler, the coordinates are rounded."""
    import types

    from cellprofiler.gui.module_view import _module_sizer

    def whole(values):
        return [round(v) if isinstance(v, float) else v for v in values]

    rounding = types.ModuleType("wx")
    rounding.__dict__.update(wx.__dict__)
    rounding.Point = lambda *values: wx.Point(*whole(values))
    rounding.Size = lambda *values: wx.Size(*whole(values))
    _module_sizer.wx = rounding


if STEPS:
    round_module_panel_coordinates()
    # This user answered CellProfiler's diagnostics prompt before (No), so it does not ask again: a native
    # modal dialog, which no wx call can close, open for the whole session.
    from cellprofiler_core.preferences import set_telemetry, set_telemetry_prompt

    set_telemetry(False)
    set_telemetry_prompt(False)
    threading.Thread(target=Driver(STEPS).main, daemon=True, name="parascope-gui-driver").start()
