import BookSQL
import GRDB

/// The book's migrations (`BookSchema`, one list for both engines) run by GRDB's migrator, which
/// records each name in `grdb_migrations`.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in BookSchema.migrations {
            let sql = migration.sql(for: .sqlite)
            migrator.registerMigration(migration.name) { db in
                if !sql.isEmpty { try db.execute(sql: sql) }
            }
        }
        return migrator
    }
}
