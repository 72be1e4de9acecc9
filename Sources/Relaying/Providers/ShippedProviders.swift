extension ProviderTable {
    /// Providers whose many domains share one infrastructure and one reputation, as seen in
    /// PHPList users' lists (European consumer mail included). No ceilings: the controller finds them.
    public static let shipped = ProviderTable(providers: [
        Provider(name: "gmail", domains: ["gmail.com", "googlemail.com"]),
        Provider(name: "microsoft", domains: [
            "hotmail.com", "hotmail.fr", "hotmail.co.uk", "hotmail.de", "hotmail.it", "hotmail.es", "hotmail.be",
            "outlook.com", "outlook.fr", "outlook.de", "outlook.es", "outlook.it",
            "live.com", "live.fr", "live.co.uk", "live.de", "live.be", "live.nl", "msn.com", "passport.com",
        ]),
        Provider(name: "yahoo", domains: [
            "yahoo.com", "yahoo.fr", "yahoo.co.uk", "yahoo.de", "yahoo.es", "yahoo.it", "ymail.com",
            "rocketmail.com", "aol.com", "aol.fr", "aim.com", "verizon.net",
        ]),
        Provider(name: "apple", domains: ["icloud.com", "me.com", "mac.com"]),
        Provider(name: "orange", domains: ["orange.fr", "wanadoo.fr", "voila.fr"]),
        Provider(name: "free", domains: ["free.fr", "aliceadsl.fr", "libertysurf.fr", "online.fr"]),
        Provider(name: "sfr", domains: ["sfr.fr", "neuf.fr", "cegetel.net", "club-internet.fr", "9online.fr"]),
        Provider(name: "laposte", domains: ["laposte.net"]),
        Provider(name: "bouygues", domains: ["bbox.fr"]),
        Provider(name: "gmx", domains: ["gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "gmx.fr", "mail.com"]),
        Provider(name: "web.de", domains: ["web.de"]),
        Provider(name: "proton", domains: ["protonmail.com", "proton.me", "pm.me"]),
        Provider(name: "yandex", domains: ["yandex.ru", "yandex.com", "ya.ru"]),
        Provider(name: "mailru", domains: ["mail.ru", "inbox.ru", "list.ru", "bk.ru"]),
        Provider(name: "comcast", domains: ["comcast.net"]),
        Provider(name: "att", domains: ["att.net", "sbcglobal.net", "bellsouth.net"]),
    ])
}
