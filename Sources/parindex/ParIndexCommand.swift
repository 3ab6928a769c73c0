import ArgumentParser

@main
struct ParIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parindex",
        abstract: "ParIndex: phần mềm quản lý Chỉ số cải cách hành chính (PAR index).",
        discussion: """
        Start with `parindex demo` to see a demo province, or `parindex serve` for a real installation.
        Configuration: flags, or the environment variables PARINDEX_HOSTNAME, PARINDEX_PORT,
        PARINDEX_DATA_DIR and DATABASE_URL (PostgreSQL; SQLite in the data directory otherwise).
        """,
        subcommands: [ServeCommand.self, DemoCommand.self, MigrateCommand.self, UserCommand.self,
                      UnitCommand.self, FrameworkCommand.self]
    )
}
