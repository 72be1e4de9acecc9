import ArgumentParser

/// `facteur import phplist|csv|verify`: bring older PHPList data or CSV files into the database Facteur serves.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an older PHPList database or a CSV file into the PHPList database Facteur serves.",
        subcommands: [ImportPHPListCommand.self, ImportCSVCommand.self, ImportVerifyCommand.self]
    )
}
