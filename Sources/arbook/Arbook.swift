import ArgumentParser

/// The `arbook` command: one subcommand per file in this folder.
@main
struct Arbook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbook",
        abstract: "arbook — the accounts-receivable book (应收账款).",
        discussion: "Every command takes --database PATH (or ARBOOK_DATABASE; default ./arbook.sqlite), before or after its name.",
        version: "0.1.0",
        subcommands: [Init.self, Demo.self, Import.self, Aging.self, Ledger.self, Check.self, UserCommand.self, AuditCommand.self, TokenCommand.self, Serve.self,
                      DunningCommand.self, PromiseCommand.self, DisputeCommand.self, OutboxCommand.self, ActivityCommand.self, WorklistCommand.self,
                      Backup.self, Restore.self, Copy.self])

    static func main() async {
        await main(Array(globalOptionsMoved(CommandLine.arguments.dropFirst())))
    }

    /// `arbook --database X aging` means `arbook aging --database X`: the global option may come
    /// before the subcommand, where argument-parser does not look for it.
    static func globalOptionsMoved(_ arguments: some Collection<String>) -> [String] {
        var leading: [String] = []
        var rest = Array(arguments)
        while let first = rest.first {
            if first == "--database", rest.count >= 2 {
                leading += rest.prefix(2)
                rest.removeFirst(2)
            } else if first.hasPrefix("--database=") {
                leading.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty, let command = rest.first else { return Array(arguments) }
        return [command] + leading + rest.dropFirst()
    }
}
