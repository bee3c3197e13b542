using System.Buffers.Text;
using System.Text;
using Portal.PasswordReset;
using Portal.Tests.Support;

namespace Portal.Tests.PasswordReset;

public sealed class ResetLinksTests
{
    private const string Digest = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5";

    private static ResetLinks Links(ManualTimeProvider time, string algorithm = "HS256", string secret = "a-secret-for-the-link-tests-0123456789") =>
        new(new ResetPasswordOptions { JwtAlgorithm = algorithm, JwtSecret = secret, JwtLifespan = TimeSpan.FromMinutes(5) }, time);

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void A_link_verifies_with_its_algorithm_and_names_its_user_and_password(string algorithm)
    {
        var time = new ManualTimeProvider();
        var links = Links(time, algorithm);

        var link = links.Verify(links.Issue("john", Digest));

        Assert.NotNull(link);
        Assert.Equal("john", link.Username);
        Assert.Equal(ResetLinks.Fingerprint(Digest), link.PasswordFingerprint);
        Assert.Equal(time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), link.Expires.ToUnixTimeSeconds());
    }

    [Fact]
    public void Two_links_have_different_ids()
    {
        var links = Links(new ManualTimeProvider());

        Assert.NotEqual(links.Verify(links.Issue("john", Digest))!.Id, links.Verify(links.Issue("john", Digest))!.Id);
    }

    [Fact]
    public void A_link_expires_after_its_lifespan()
    {
        var time = new ManualTimeProvider();
        var links = Links(time);
        var token = links.Issue("john", Digest);

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(links.Verify(token));
    }

    [Fact]
    public void A_link_signed_with_another_secret_or_algorithm_is_refused()
    {
        var time = new ManualTimeProvider();
        var token = Links(time).Issue("john", Digest);

        Assert.Null(Links(time, secret: "another-secret-for-the-link-tests-000000").Verify(token));
        Assert.Null(Links(time, algorithm: "HS512").Verify(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("!!.!!.!!")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.AAAA")]
    public void Garbage_is_refused_without_an_exception(string token)
    {
        Assert.Null(Links(new ManualTimeProvider()).Verify(token));
    }

    [Fact]
    public void A_changed_claim_breaks_the_signature()
    {
        var links = Links(new ManualTimeProvider());
        var parts = links.Issue("john", Digest).Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"sub\":\"john\"", "\"sub\":\"root\"", StringComparison.Ordinal);

        Assert.Null(links.Verify($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}.{parts[2]}"));
    }
}
