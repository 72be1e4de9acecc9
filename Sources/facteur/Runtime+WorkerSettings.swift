import ArgumentParser
import Worker

extension Runtime {
    /// The worker's settings from the configuration; a configuration the worker cannot use is reported
    /// on standard error and ends the command.
    func workerSettings() throws -> WorkerSettings {
        do {
            return try WorkerSettings.from(configuration)
        } catch {
            Console.problem("\(error)")
            throw ExitCode.failure
        }
    }
}
