import FakelabServer
import Testing

/// `Authorization: Bearer sk-…`: what names a tenant, and what is a 401.
@Suite struct APIKeyTests {
    @Test(arguments: [
        ("Bearer sk-abcdefgh", "sk-abcdefgh"),
        ("bearer sk-abcdefgh", "sk-abcdefgh"),
        ("BEARER sk-AbC_-0123456789", "sk-AbC_-0123456789"),
        ("  Bearer   sk-abcdefgh", "sk-abcdefgh"),
    ])
    func wellFormedKeysAreAccepted(header: String, key: String) {
        #expect(APIKey(authorization: header)?.value == key)
    }

    @Test(arguments: [
        "", "Bearer", "Bearer ", "Bearersk-abcdefgh", "Bearer sk-abcdefg", "Bearer sk-abcd efgh", "Bearer sk-abcdefgh ",
        "Basic sk-abcdefgh", "Token sk-abcdefgh", "Bearer mt-abcdefgh", "Bearer sk-abc$defgh", "Bearer sk-ÄÄÄÄÄÄÄÄ", "Bearer\tsk-abcdefgh",
    ])
    func anythingElseIsRefused(header: String) {
        #expect(APIKey(authorization: header) == nil)
    }

    @Test func noHeaderIsRefused() {
        #expect(APIKey(authorization: nil) == nil)
    }
}
