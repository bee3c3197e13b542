using Portal.Users;

namespace Portal.Tests.Users;

public sealed class UsernamesTests
{
    [Theory]
    [InlineData("john", "john")]
    [InlineData(" John ", "john")]
    [InlineData("JOHN\t", "john")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Key_is_trimmed_and_lower_cased(string? username, string key) => Assert.Equal(key, Usernames.Key(username));

    [Theory]
    [InlineData("JOHN", "john")]
    [InlineData("john@example.com", "john")]
    [InlineData("Nobody", "Nobody")]
    public void Canonical_is_the_users_file_spelling_or_the_login_as_typed(string login, string canonical) =>
        Assert.Equal(canonical, Usernames.Canonical(new OneUser(), login));

    private sealed class OneUser : IUserProvider
    {
        private static readonly UserDetails John = new("john", "John", ["john@example.com"], []);

        public long Generation => 1;

        public string? ResolveUsername(string login) => GetDetails(login)?.Username;

        public UserDetails? GetDetails(string login) =>
            login.Equals("john", StringComparison.OrdinalIgnoreCase) || login == "john@example.com" ? John : null;

        public bool CheckPassword(string login, string password) => false;
    }
}
