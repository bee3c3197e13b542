namespace Portal.Tests.Crypto;

/// <summary>
/// Digests produced by independent implementations, embedded so the tests prove interoperability without needing
/// the tools at test time.
/// <list type="bullet">
/// <item>argon2: Debian's reference <c>argon2</c> CLI (20190702), e.g.
/// <c>echo -n 'password' | argon2 somesalt16bytes! -id -t 3 -m 16 -p 4 -l 32 -e</c>.</item>
/// <item>sha-crypt: Python 3.11 <c>crypt.crypt</c> (libxcrypt) on Debian 12.</item>
/// <item>pbkdf2: passlib 1.7.4 (<c>pbkdf2_sha512.using(rounds=1000, salt=b'saltsaltsalt1234').hash('password')</c>).</item>
/// </list>
/// </summary>
internal static class ReferenceVectors
{
    public const string Utf8Password = "p@ss wörd";

    /// <summary>Authelia's defaults: m=65536, t=3, p=4, 32-byte key, 16-byte salt.</summary>
    public const string Argon2idDefaults =
        "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQxNmJ5dGVzIQ$9LFiNwlwJCAl7H0G/HRUsSHYKetEbGsp2B+k3YJeyUI";

    /// <summary><c>-id -t 1 -m 6 -p 1 -l 32</c>: the cheap parameters most tests use.</summary>
    public const string Argon2idCheap =
        "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$xVKnHA0COppR7bqGJKOsj/qNUodzXXFezfyO0qH5axw";

    /// <summary><c>-id -t 2 -k 100 -p 3</c>: memory not a multiple of 4·p, three lanes.</summary>
    public const string Argon2idOddMemory =
        "$argon2id$v=19$m=100,t=2,p=3$c29tZXNhbHQxNmJ5dGVzIQ$qm4w+MXoCPKZY5TGLqLbM+hgzO1w9H7OPCuteSoz22E";

    /// <summary><c>-id -t 1 -k 8 -p 1</c>: the smallest memory argon2 allows.</summary>
    public const string Argon2idMinimumMemory =
        "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQxNmJ5dGVzIQ$wufSCitSnM5RSdiuzbjpaJzL6zWMgG/b+HiMSdHJJBE";

    /// <summary>Password <see cref="Utf8Password"/>, salt "anothersaltvalue", <c>-i -t 2 -m 8 -p 2 -l 24</c>.</summary>
    public const string Argon2iUtf8 =
        "$argon2i$v=19$m=256,t=2,p=2$YW5vdGhlcnNhbHR2YWx1ZQ$DKfzn2AbDUKFtyE6D1fXzlvPEkG0MY1R";

    /// <summary><c>-d -t 2 -m 6 -p 1 -l 16</c>.</summary>
    public const string Argon2dShortKey = "$argon2d$v=19$m=64,t=2,p=1$c29tZXNhbHQxNmJ5dGVzIQ$Cyx6ZPotwLVE0x0+DCSPIQ";

    /// <summary>Same inputs as <see cref="Argon2idDefaults"/> but <c>-v 10</c>: version 16, which we don't support.</summary>
    public const string Argon2idVersion16 =
        "$argon2id$v=16$m=65536,t=3,p=4$c29tZXNhbHQxNmJ5dGVzIQ$eUObt7jVImkK/HvIg36KaOrXN+d4R9/giboVjFst3mA";

    public const string Sha512CryptDefaultRounds =
        "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/";

    public const string Sha512CryptExplicit5000 =
        "$6$rounds=5000$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/";

    public const string Sha512Crypt10000Rounds =
        "$6$rounds=10000$saltsalt$ZqOTO2O04D/DgwZlm.rZTgWxvBaIf4LQsZKtXFEu9UHJ4CvgmdLAGxKUzJ0mPO98OevETdY6oK/Oac6j2Axxq/";

    /// <summary>The spec's own example ("Hello world!", salt "saltstringsaltstring" cut to 16 characters).</summary>
    public const string Sha512CryptSpecExample =
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";

    public const string Sha256CryptDefaultRounds = "$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.";

    /// <summary>Password <see cref="Utf8Password"/>.</summary>
    public const string Sha256Crypt1000RoundsUtf8 = "$5$rounds=1000$anothersalt$.hfmabVHZUpkPggCHown.E6bF1SV6fi/Le8cbVHMupC";

    public const string Pbkdf2Sha512 =
        "$pbkdf2-sha512$1000$c2FsdHNhbHRzYWx0MTIzNA$jO1VfTTb6vUnXy3vwC1nAOIc7ZOal5/ChCzzH3WNpDMn0zsYpLn/iACzP91yo8s416cQM2K9DDdbvYtu3Pwwtw";

    public const string Pbkdf2Sha256 = "$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0MTIzNA$Gv1ppJ66rBGZ4SMZjQl10XY734zFaJuHAY10Xd6pb.U";

    public const string Pbkdf2Sha1 = "$pbkdf2$1000$c2FsdHNhbHRzYWx0MTIzNA$R1k4MvONNR3wAUqq0wvjbHBLmKc";

    /// <summary>Password <see cref="Utf8Password"/>, binary salt ff fe fb 00 'abc>?' (adapted base64 with '/').</summary>
    public const string Pbkdf2Sha512Utf8BinarySalt =
        "$pbkdf2-sha512$2000$//77AGFiYz4/$vfElLLq1r5kPEf/xbXa3.B2.upFjiY1F.zCBFDLfkw/jKDtf6iodmsOFDenQ/qmgIMRaHbfIt8a/IQp6Oe3KXQ";

    /// <summary>From libxcrypt's bcrypt; only used to check the "not supported" message.</summary>
    public const string Bcrypt = "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm";
}
