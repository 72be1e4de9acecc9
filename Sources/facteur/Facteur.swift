import ArgumentParser

@main
struct Facteur: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "facteur", abstract: "PHPList's sending and bounce backend.")
}
