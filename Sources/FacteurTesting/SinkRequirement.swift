import Foundation

/// Whether the SMTP test servers are installed. Tests use this in `.enabled(if:)`: absent tools
/// skip the test visibly on a workstation, and fail it under CI (the `CI` variable), where the
/// services script installs them.
public enum SinkRequirement {
    public static let smtpSinkPath = "/usr/sbin/smtp-sink"
    public static let smtpSourcePath = "/usr/sbin/smtp-source"
    public static let python = "/usr/bin/python3"

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    public static var smtpSinkInstalled: Bool { FileManager.default.isExecutableFile(atPath: smtpSinkPath) }

    public static var aiosmtpdInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: python)
            && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/aiosmtpd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    }

    /// Run the test when smtp-sink is there, or under CI (where its absence must fail the test).
    public static var runSmtpSinkTests: Bool { smtpSinkInstalled || isCI }
    public static var runAiosmtpdTests: Bool { aiosmtpdInstalled || isCI }
}
