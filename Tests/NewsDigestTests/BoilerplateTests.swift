import Testing

@testable import NewsDigest

@Suite struct BoilerplateTests {
    @Test(arguments: [
        "SEE ALSO: Celebrations, Looting, And Statue Surfing",
        "READ MORE about recent military action in Syria.",
        "Your browser doesn't support HTML5",
        "Updated as reports come in.",
        "Share this article",
        "Share  Tweet  Email  Print",
        "Sign up for our daily newsletter.",
        "By Jane Doe, Metro Wire",
        "Advertisement",
        "(Reporting by John Smith; Editing by Wei Chen)",
        "Maria Garcia contributed to this report.",
        "Copyright 2026 Capital Post. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "A defaced portrait stands in a ransacked facility, Dec. 8, 2024. (AFP Photo)",
        "WASHINGTON (Metro Wire) \u{2014}",
        "Listen to this article · 4 min",
        "Follow us on Twitter and Facebook for the latest updates.",
    ])
    func furniture(_ line: String) {
        #expect(Boilerplate.isBoilerplate(line: line))
    }

    @Test(arguments: [
        "By the end of the day, rebels controlled the capital and the president had fled abroad.",
        "Syrians across the country took to the streets to celebrate.",
        "Share prices fell sharply after the announcement, traders said.",
        "The advertisement campaign cost the party two million dollars, its treasurer said.",
        "Copyright lawyers for the studio filed suit in Los Angeles on Monday.",
    ])
    func news(_ line: String) {
        #expect(!Boilerplate.isBoilerplate(line: line))
    }
}
