import Bookkeeping
import Foundation
import Hummingbird
import MultipartKit
import Receivables
import RequestInput

/// The import page: upload a file, see every bad row (or what would be imported) before anything is
/// written, then confirm.
extension Pages {
    struct UploadForm: Decodable {
        let kind: String
        let auto_allocate: String?
        let file: Data
    }

    struct ConfirmForm: Decodable {
        let kind: String
        let auto_allocate: String?
        let upload: String
    }

    static let importRoutes: [Route<Pages>] = [Route(.post, "import/cancel", .writeBook, Pages.importCancel)]

    @Sendable func importForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let words = Words(UILanguage.of(request))
        return renderer.page("import", title: "import", request: request, context: context,
                             content: ImportView(kinds: Self.kindOptions(selected: .customers, words: words)))
    }

    static func kindOptions(selected: ImportKind, words: Words) -> [OptionView] {
        ImportKind.allCases.map { OptionView(value: $0.rawValue, label: words["kind_\($0.rawValue)", or: $0.rawValue], selected: $0 == selected) }
    }

    @Sendable func importCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        guard let type = request.headers[.contentType], let boundary = type.components(separatedBy: "boundary=").last,
              type.hasPrefix("multipart/form-data") else {
            throw Problem(status: .badRequest, title: "Malformed form", detail: "the upload must be multipart/form-data")
        }
        let body = try await request.collectBody(upTo: Uploads.bytesMax)
        let form: UploadForm
        do { form = try FormDataDecoder().decode(UploadForm.self, from: body, boundary: boundary) } catch {
            throw Problem(status: .badRequest, title: "Malformed form", detail: "choose a file and what it holds")
        }
        guard let kind = ImportKind(rawValue: form.kind), let user = caller.principal.user else {
            throw BookError.invalid(field: "kind", reason: "customers, invoices or receipts")
        }
        let id = try uploads.save([UInt8](form.file), user: user)
        let autoAllocate = form.auto_allocate != nil
        let words = Words(UILanguage.of(request))
        // What the file holds and the choices stay as they were chosen, whatever the check finds.
        var view = ImportView(kind: kind.rawValue, kindName: words["kind_\(kind.rawValue)", or: kind.rawValue], upload: id,
                              autoAllocate: autoAllocate, kinds: Self.kindOptions(selected: kind, words: words))
        do {
            let outcome = try await Importer(storage: storage, caller: caller)
                .importFile(kind, path: uploads.path(id, user: user) ?? "", options: .init(autoAllocate: autoAllocate, fileName: "upload", dryRun: true))
            switch outcome {
            case .checked(let summary), .imported(let summary):
                view.good = Self.summaryView(summary, words: words)
            case .alreadyImported(let batch):
                uploads.remove(id, user: user)
                view.already = .init(rows: batch.rows, at: Display.time(batch.importedAt))
            }
        } catch let failure as ImportFailure {
            uploads.remove(id, user: user)
            view.issues = failure.issues.map { .init(line: $0.line, column: words.field($0.column), reason: words.reason($0.reason)) }
            view.issueCount = failure.issueCount
            view.hasIssues = true
        }
        return renderer.page("import", title: "import", request: request, context: context, content: view,
                             status: view.hasIssues ? .unprocessableContent : .ok)
    }

    /// What a checked or imported file holds, for a person: its rows, totals and first rows.
    static func summaryView(_ summary: ImportSummary, words: Words) -> ImportView.Good {
        let receipts = summary.kind == .receipts
        return .init(rows: summary.rows, encoding: summary.encoding, total: summary.total.isEmpty ? nil : Display.sums(summary.total),
                     applied: receipts ? Display.sums(summary.applied) : nil, unapplied: receipts ? Display.sums(summary.unapplied) : nil,
                     columns: ["line"].map(words.field) + ImportPreviewRow.columns(summary.kind).map(words.field),
                     preview: summary.preview.map { row in
                         [String(row.line)] + row.fields.enumerated().map { index, value in
                             let column = ImportPreviewRow.columns(summary.kind)[index]
                             if column == "method" { return PaymentMethod(rawValue: value).map(words.method) ?? value }
                             if column == "terms" { return (try? PaymentTerms.parse(value)).map(words.terms) ?? value }
                             return value
                         }
                     },
                     more: max(0, summary.rows - summary.preview.count))
    }

    @Sendable func importConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(ConfirmForm.self, from: &request)
        guard let kind = ImportKind(rawValue: form.kind), let user = caller.principal.user,
              let path = uploads.path(form.upload, user: user) else {
            throw BookError.notFound(what: "upload", key: form.upload)
        }
        defer { uploads.remove(form.upload, user: user) }
        let outcome = try await Importer(storage: storage, caller: caller)
            .importFile(kind, path: path, options: .init(autoAllocate: form.auto_allocate != nil, fileName: "upload"))
        let words = Words(UILanguage.of(request))
        var view = ImportView(kind: kind.rawValue, kindName: words["kind_\(kind.rawValue)", or: kind.rawValue],
                              kinds: Self.kindOptions(selected: kind, words: words))
        switch outcome {
        case .imported(let summary), .checked(let summary): view.done = Self.summaryView(summary, words: words)
        case .alreadyImported(let batch): view.already = .init(rows: batch.rows, at: Display.time(batch.importedAt))
        }
        return renderer.page("import", title: "import", request: request, context: context, content: view)
    }

    struct CancelForm: Decodable {
        let upload: String
    }

    /// Drops a checked file that is not to be imported.
    @Sendable func importCancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(CancelForm.self, from: &request)
        if let user = caller.principal.user { uploads.remove(form.upload, user: user) }
        return Self.back(to: "/import?done=import_cancelled")
    }
}
