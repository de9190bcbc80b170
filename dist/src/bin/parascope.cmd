@echo off
rem The parascope command on Windows: runs lib\parascope.jar with Java 17 or later (JAVA_HOME's java, else
rem the one on the PATH), with the JVM options of bin/parascope (docs/benchmarks.md).
setlocal EnableExtensions
set "PARASCOPE_LIB=%~dp0..\lib"
set "PARASCOPE_JAVA=java"
if defined JAVA_HOME set "PARASCOPE_JAVA=%JAVA_HOME%\bin\java"

rem Control-plane commands get a capped heap, the serial collector and the quick compiler; 'run' and
rem 'worker' execute analyses and keep the JVM's defaults. The command is the first argument that is
rem neither an option nor an option's value.
set "PARASCOPE_JVM=-XX:+UseSerialGC -Xmx192m -XX:TieredStopAtLevel=1"
set "PARASCOPE_SKIP="
set "PARASCOPE_VERB="
for %%A in (%*) do call :verb "%%~A"
goto :start

:verb
if defined PARASCOPE_VERB goto :eof
if defined PARASCOPE_SKIP (set "PARASCOPE_SKIP=" & goto :eof)
set "PARASCOPE_ARG=%~1"
if "%PARASCOPE_ARG%"=="--config" (set "PARASCOPE_SKIP=1" & goto :eof)
if "%PARASCOPE_ARG%"=="--profile" (set "PARASCOPE_SKIP=1" & goto :eof)
if "%PARASCOPE_ARG%"=="--region" (set "PARASCOPE_SKIP=1" & goto :eof)
if "%PARASCOPE_ARG%"=="--endpoint-url" (set "PARASCOPE_SKIP=1" & goto :eof)
if "%PARASCOPE_ARG:~0,1%"=="-" goto :eof
set "PARASCOPE_VERB=%PARASCOPE_ARG%"
goto :eof

:start
if /i "%PARASCOPE_VERB%"=="run" set "PARASCOPE_JVM="
if /i "%PARASCOPE_VERB%"=="worker" set "PARASCOPE_JVM="
rem Class data sharing as in bin/parascope: the JVM (19 or later) writes the archive on first use and maps it
rem afterwards; a Java 17 ignores the option and starts without one.
set "PARASCOPE_CDS=%LOCALAPPDATA%\parascope"
if not exist "%PARASCOPE_CDS%" mkdir "%PARASCOPE_CDS%" >nul 2>&1
"%PARASCOPE_JAVA%" -Djava.awt.headless=true -Xlog:disable -Xlog:all=warning,cds*=off:stderr %PARASCOPE_JVM% ^
	-XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=%PARASCOPE_CDS%\parascope.jsa" ^
	-jar "%PARASCOPE_LIB%\parascope.jar" %*
exit /b %ERRORLEVEL%
