import Hummingbird
import Interchange

extension Response {
    /// A JSON document written in the documented key order.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONText, status: HTTPResponse.Status = .ok) -> Response {
        json(value.render() + "\n", status: status)
    }
}
