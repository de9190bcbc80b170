"""Start fleet and Clean up as the module shows them, on the example's config and fleet file
(examples/aws), after 'parascope init-account' and 'setup': the real command line against moto."""

import shutil

import boto3

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "aws"
APP = "ParascopeNuclei"  # the example config's APP_NAME
STATE = f"files/{APP}SpotFleetRequestId.json"


def user_fleet_file(folder):
    """The example fleet file with the emulator's subnet, security group, image and a key pair, as a user fills it in."""
    ec2 = boto3.client("ec2")
    ec2.create_key_pair(KeyName="my-key")
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    text = (EXAMPLE / "fleet.json").read_text().replace("subnet-00000000", subnet).replace(
        "sg-00000000", group["GroupId"]).replace("ami-00000000000000000", "ami-12c6146b").replace(
        "your_key_file_name", "my-key")
    fleet = folder / "fleet.json"
    fleet.write_text(text)
    return fleet


def set_up(cellprofiler, folder, auto_monitor=True, bucket=True):
    """The example project, set up on the emulator; returns the module, its settings filled in."""
    from cellprofiler_core.utilities.core.modules import instantiate_module

    folder.mkdir()
    config = folder / "config.py"
    shutil.copy(EXAMPLE / "config.py", config)
    if not auto_monitor:
        config.write_text(config.read_text().replace("AUTO_MONITOR = 'True'", "AUTO_MONITOR = 'False'"))
    if bucket:
        boto3.client("s3").create_bucket(Bucket="your-bucket-name")  # the example's AWS_BUCKET
    cli = cellprofiler.Cli(config)
    for command in ("init-account", "setup"):
        result = cli.run(command, timeout=600)
        assert result.exit_code == 0, result.stdout + result.stderr
    module = instantiate_module("Parascope")
    module.config_file.value = str(config)
    module.fleet_file.value = str(user_fleet_file(folder))
    return module, config


def test_start_fleet_says_where_the_monitor_runs_and_how_to_follow_it(cellprofiler, aws, tmp_path):
    module, config = set_up(cellprofiler, tmp_path / "project")

    started = module.on_start_fleet()

    assert started.ok, started.message
    lines = started.message.splitlines()
    assert lines[0] == f"Fleet {started.result['fleetId']}: 2 of 2 machines running.", started.message
    assert lines[1].startswith("The monitor runs unattended on AWS (AUTO_MONITOR) and tears the run down"), started.message
    assert lines[2] == f"Follow it: parascope --config {config} monitor --follow {STATE}", started.message
    assert lines[3] == f"(Run these commands in {config.parent}, the config file's folder.)", started.message
    # Where it runs: start-fleet's own words about the detached monitor, after the summary.
    assert any(line.startswith("detached: ") and "monitor" in line for line in lines[4:]), started.message
    assert "Warning:" not in started.message, started.message

    cleaned = module.on_clean_up()
    assert cleaned.ok, cleaned.message
    assert not boto3.client("sqs").list_queues(QueueNamePrefix=APP).get("QueueUrls"), cleaned.message


def test_without_auto_monitor_start_fleet_warns_of_the_cost_and_names_the_monitor_command(cellprofiler, aws, tmp_path):
    module, config = set_up(cellprofiler, tmp_path / "project", auto_monitor=False)

    started = module.on_start_fleet()

    assert started.ok, started.message
    first = started.message.splitlines()[0]
    assert first.startswith("Warning: no monitor watches this run (AUTO_MONITOR is False): its 2 machine(s) cost up "
                            "to $0.20 an hour"), started.message
    assert f"Monitor it (it tears the run down when the work is done): parascope --config {config} monitor {STATE}" \
        in started.message.splitlines(), started.message

    assert module.on_clean_up().ok


def test_a_fleet_whose_monitor_cannot_start_is_an_error_that_says_how_to_watch_or_tear_it_down(cellprofiler, aws,
                                                                                               tmp_path):
    # No AWS_BUCKET bucket: the detached monitor has nowhere to keep its state (start-fleet's exit code 3).
    module, config = set_up(cellprofiler, tmp_path / "project", bucket=False)

    started = module.on_start_fleet()

    assert not started.ok, started.message
    lines = started.message.splitlines()
    assert lines[0].startswith("Parascope: Fleet ") and lines[0].endswith(": 2 of 2 machines running."), started.message
    assert lines[1].startswith("The fleet runs, but its monitor could not be started (AUTO_MONITOR): "), started.message
    assert lines[2] == f"To watch it from here: parascope --config {config} monitor {STATE}", started.message
    assert lines[3] == f"To tear it down now: parascope --config {config} cleanup {STATE}", started.message

    # Clean up removes the run but cannot export its logs to the missing bucket: it says so, not its notes.
    cleaned = module.on_clean_up()
    assert not cleaned.ok
    lines = cleaned.message.splitlines()
    assert lines[:2] == ["Parascope: Clean up is not complete; press it again later.",
                         f"failed: exporting log group {APP}: NoSuchBucket: The specified bucket does not exist"], \
        cleaned.message
    assert f"deleted: queue {APP}Queue" in lines, cleaned.message
