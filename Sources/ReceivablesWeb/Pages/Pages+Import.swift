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

    @Sendable func importForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        return renderer.page("import", title: "import", request: request, context: context, content: ImportView())
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
        let language = UILanguage.of(request)
        var view = ImportView(kind: kind.rawValue, upload: id, autoAllocate: autoAllocate)
        do {
            let outcome = try await Importer(storage: storage, caller: caller)
                .importFile(kind, path: uploads.path(id, user: user) ?? "", options: .init(autoAllocate: autoAllocate, fileName: "upload", dryRun: true))
            switch outcome {
            case .checked(let summary), .imported(let summary):
                view.good = .init(rows: summary.rows, encoding: summary.encoding)
            case .alreadyImported(let batch):
                uploads.remove(id, user: user)
                view.already = .init(rows: batch.rows, at: batch.importedAt)
            }
        } catch let failure as ImportFailure {
            uploads.remove(id, user: user)
            view.issues = failure.issues.map { .init(line: $0.line, column: $0.column, reason: $0.reason) }
            view.issueCount = failure.issueCount
            view.hasIssues = true
        }
        return renderer.page("import", title: "import", request: request, context: context, content: view)
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
        var view = ImportView()
        switch outcome {
        case .imported(let summary), .checked(let summary): view.done = .init(rows: summary.rows, kind: kind.rawValue)
        case .alreadyImported(let batch): view.already = .init(rows: batch.rows, at: batch.importedAt)
        }
        return renderer.page("import", title: "import", request: request, context: context, content: view)
    }
}
