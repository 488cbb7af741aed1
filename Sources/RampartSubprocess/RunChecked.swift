// RampartSubprocess: RASP checks of process launches through swift-subprocess.

import Rampart
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Subprocess's `run(_:arguments:...)` after the RASP checks against the current request: the executable and its
/// argument vector with the command injection detector, and, when the executable is a shell given `-c`, the
/// command line with the shell injection detector. In block mode an exploit throws
/// ``Rampart/RampartBlockedError`` and nothing is launched; in monitor mode it is reported and the process runs.
///
/// `arguments` is an array of strings (Subprocess's `Arguments` does not expose its elements for the check).
public func runChecked<Input: InputProtocol, Output: OutputProtocol, ErrorOutput: ErrorOutputProtocol>(
    _ executable: Executable,
    arguments: [String] = [],
    environment: Environment = .inherit,
    workingDirectory: FilePath? = nil,
    platformOptions: PlatformOptions = PlatformOptions(),
    input: Input = .none,
    output: Output,
    error: ErrorOutput = .discarded
) async throws -> ExecutionResult<Void, Output, ErrorOutput> {
    try RASPCheck.processLaunch(executable: executable.description, arguments: arguments)
    return try await run(
        executable, arguments: Arguments(arguments), environment: environment, workingDirectory: workingDirectory,
        platformOptions: platformOptions, input: input, output: output, error: error)
}

/// Runs `commandLine` with a shell (`/bin/sh -c commandLine` by default) after the shell injection check of the
/// command line against the current request (block mode: throws ``Rampart/RampartBlockedError`` before launching).
/// Prefer ``runChecked(_:arguments:environment:workingDirectory:platformOptions:input:output:error:)`` with an
/// argument vector when no shell features are needed.
public func runShellChecked<Input: InputProtocol, Output: OutputProtocol, ErrorOutput: ErrorOutputProtocol>(
    _ commandLine: String,
    shell: FilePath = "/bin/sh",
    environment: Environment = .inherit,
    workingDirectory: FilePath? = nil,
    platformOptions: PlatformOptions = PlatformOptions(),
    input: Input = .none,
    output: Output,
    error: ErrorOutput = .discarded
) async throws -> ExecutionResult<Void, Output, ErrorOutput> {
    try RASPCheck.shellCommand(commandLine)
    return try await run(
        .path(shell), arguments: ["-c", commandLine], environment: environment, workingDirectory: workingDirectory,
        platformOptions: platformOptions, input: input, output: output, error: error)
}
