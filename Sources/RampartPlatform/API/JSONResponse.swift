import Foundation
import Hummingbird
import NIOCore
import RampartProtocol

/// Responses of the agent API: JSON bodies encoded with the protocol's coding rules.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try ProtocolCoding.encode(value)
        return Response(
            status: status, headers: [.contentType: RampartProtocol.contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, code: String, message: String, supportedVersions: [Int]? = nil) -> Response {
        let body = ProtocolErrorResponse(error: code, message: message, supportedVersions: supportedVersions)
        return (try? make(body, status: status)) ?? Response(status: status)
    }
}
