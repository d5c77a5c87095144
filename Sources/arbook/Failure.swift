import ArgumentParser
import Bookkeeping
import Foundation
import Interchange

/// Maps every error to a line on stderr and an exit code, in one place. Users never see a stack
/// or a raw database message.
///
/// Exit codes: 1 the book does not tie out; 3 something named does not exist; 4 bad input, nothing
/// changed; 5 the book could not be opened, read or written; 6 not allowed.
enum Failure {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let (message, code) = describe(error)
            FileHandle.standardError.write(Data(("arbook: " + message + "\n").utf8))
            throw ExitCode(code)
        }
    }

    static func describe(_ error: Error) -> (String, Int32) {
        switch error {
        case let failure as ImportFailure: (failure.description, 4)
        case let book as BookError:
            switch book {
            case .notFound: (book.description, 3)
            case .storage(let storage): (storage.message, 5)
            case .notInitialized: (book.description, 5)
            case .forbidden: (book.description, 6)
            case .duplicate, .invalid, .allocation, .currencyMismatch, .alreadyReversed: (book.description, 4)
            }
        case let storage as StorageError: (storage.message, 5)
        case let read as FileReadError: (read.description, 4)
        default: ("an unexpected error occurred (\(type(of: error)))", 5)
        }
    }
}
