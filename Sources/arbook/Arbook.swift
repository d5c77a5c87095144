import ArgumentParser

/// The `arbook` command: one subcommand per file in this folder.
@main
struct Arbook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbook",
        abstract: "arbook — the accounts-receivable book (应收账款).",
        discussion: "Every command takes --database PATH (or ARBOOK_DATABASE; default ./arbook.sqlite).",
        version: "0.1.0",
        subcommands: [Init.self, Demo.self, Import.self, Aging.self, Ledger.self, Check.self])
}
