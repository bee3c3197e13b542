using Portal.Users;
using Portal.Configuration;
using Portal.Tests.Crypto;

namespace Portal.Tests.Users;

public sealed class UsersFileTests
{
    private const string Hash = ReferenceVectors.Argon2idCheap;

    private static readonly string Sample = $$"""
        users:
          john:
            displayname: John Doe
            password: '{{Hash}}'
            email: john@example.com
            groups: [admins, dev]
          jane:
            displayname: "Jane Roe"
            password: '{{ReferenceVectors.Sha512CryptDefaultRounds}}'
            email:
              - jane@example.com
              - Jane.Roe@Example.com
            emails: [jane@example.com, roe@example.org]
            groups:
              - dev
            given_name: Jane
            locale: en-GB
          ghost:
            displayname: Ghost
            password: '{{Hash}}'
            email: ghost@example.com
            disabled: true
        """;

    private static UsersDatabase ParseOk(string yaml, bool caseInsensitive = false, bool email = false)
    {
        var result = UsersFile.Parse(yaml, "users.yml", new FileSearchOptions { CaseInsensitive = caseInsensitive, Email = email });
        Assert.Empty(result.Errors);
        Assert.True(result.Succeeded);
        return result.Database!;
    }

    private static IReadOnlyList<string> ParseErrors(string yaml, bool caseInsensitive = false, bool email = false)
    {
        var result = UsersFile.Parse(yaml, "users.yml", new FileSearchOptions { CaseInsensitive = caseInsensitive, Email = email });
        Assert.Null(result.Database);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    [Fact]
    public void A_single_email_string_becomes_a_one_element_list()
    {
        var john = ParseOk(Sample).Find("john")!.Details;

        Assert.Equal(("john", "John Doe"), (john.Username, john.DisplayName));
        Assert.Equal(["john@example.com"], john.Emails);
        Assert.Equal(["admins", "dev"], john.Groups);
    }

    [Fact]
    public void Email_lists_and_the_emails_key_merge_without_case_duplicates()
    {
        var jane = ParseOk(Sample).Find("jane")!.Details;

        Assert.Equal("Jane Roe", jane.DisplayName);
        Assert.Equal(["jane@example.com", "Jane.Roe@Example.com", "roe@example.org"], jane.Emails);
        Assert.Equal(["dev"], jane.Groups);
    }

    [Fact]
    public void Unknown_optional_attributes_are_ignored()
    {
        Assert.NotNull(ParseOk(Sample).Find("jane"));
    }

    [Fact]
    public void A_disabled_user_cannot_be_found_by_name_or_email()
    {
        var database = ParseOk(Sample, caseInsensitive: true, email: true);

        Assert.Null(database.Find("ghost"));
        Assert.Null(database.Find("GHOST"));
        Assert.Null(database.Find("ghost@example.com"));
        Assert.Equal(3, database.Users.Count);
        Assert.Equal(2, database.EnabledCount);
    }

    [Fact]
    public void Without_search_options_only_the_exact_username_matches()
    {
        var database = ParseOk(Sample);

        Assert.Equal("john", database.Find("john")?.Details.Username);
        Assert.Equal("john", database.Find("  john\t")?.Details.Username);
        Assert.Null(database.Find("John"));
        Assert.Null(database.Find("john@example.com"));
        Assert.Null(database.Find(""));
        Assert.Null(database.Find(null));
    }

    [Fact]
    public void Case_insensitive_search_matches_any_case_and_returns_the_canonical_name()
    {
        var database = ParseOk(Sample, caseInsensitive: true);

        Assert.Equal("john", database.Find("JOHN")?.Details.Username);
        Assert.Null(database.Find("john@example.com"));
    }

    [Fact]
    public void Email_search_matches_emails_ignoring_case()
    {
        var database = ParseOk(Sample, email: true);

        Assert.Equal("jane", database.Find("jane.roe@example.COM")?.Details.Username);
        Assert.Equal("jane", database.Find("roe@example.org")?.Details.Username);
        Assert.Null(database.Find("John"));
    }

    [Fact]
    public void Yaml_syntax_errors_report_the_line()
    {
        var errors = ParseErrors("users:\n  john:\n    displayname: 'John\n    password: x\n  jane: {\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("users file 'users.yml': line ", error, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_sequence_is_reported_near_its_line_instead_of_throwing()
    {
        // YamlDotNet throws InvalidOperationException rather than YamlException for this one.
        var errors = ParseErrors("users:\n  john:\n    displayname: [unclosed\n    password: x\n");

        Assert.Equal(["users file 'users.yml': line 3: invalid YAML: unexpected end of a flow collection or quoted value"], errors);
    }

    [Fact]
    public void A_duplicate_username_key_is_a_yaml_error()
    {
        var errors = ParseErrors($"users:\n  john:\n    displayname: A\n    password: '{Hash}'\n  john:\n    displayname: B\n    password: '{Hash}'\n");

        Assert.Contains("line 5", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "'users' key")]
    [InlineData("users: []", "'users' key")]
    [InlineData("- a\n- b", "'users' key")]
    [InlineData("users: {}", "no users are defined")]
    [InlineData("users:\n  john: hello", "user 'john': expected a mapping")]
    [InlineData("users:\n  john:\n    password: '$6$x$y'", "option 'displayname' is required")]
    [InlineData("users:\n  john:\n    displayname: John", "user 'john': option 'password' is required")]
    [InlineData("users:\n  john:\n    displayname: John\n    password: hunter2", "plaintext")]
    [InlineData("users:\n  john:\n    displayname: John\n    password: '" + ReferenceVectors.Bcrypt + "'", "'2b' digest format is not supported")]
    [InlineData("users:\n  john:\n    displayname: John\n    password: '$argon2id$v=19$m=64'", "not a supported digest")]
    [InlineData("users:\n  john:\n    displayname: John\n    password: '" + Hash + "'\n    disabled: maybe", "'disabled' must be true or false")]
    [InlineData("users:\n  john:\n    displayname: John\n    password: '" + Hash + "'\n    groups: {a: b}", "'groups' must be a string or a list")]
    [InlineData("users:\n  john:\n    displayname: [John]\n    password: '" + Hash + "'", "'displayname' must be a single value")]
    [InlineData("users:\n  ' john':\n    displayname: John\n    password: '" + Hash + "'", "leading or trailing whitespace")]
    public void Invalid_files_are_reported_not_thrown(string yaml, string message)
    {
        Assert.Contains(ParseErrors(yaml), e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_user_is_reported_with_its_line()
    {
        var errors = ParseErrors($"users:\n  a:\n    password: '{Hash}'\n  b:\n    displayname: B\n");

        Assert.Equal(
            ["users file 'users.yml': line 2: user 'a': option 'displayname' is required",
             "users file 'users.yml': line 4: user 'b': option 'password' is required"],
            errors);
    }

    [Fact]
    public void Usernames_differing_only_in_case_clash_when_search_is_case_insensitive()
    {
        var yaml = $"users:\n  bob:\n    displayname: a\n    password: '{Hash}'\n  Bob:\n    displayname: b\n    password: '{Hash}'\n";

        Assert.NotNull(ParseOk(yaml).Find("Bob"));
        Assert.Contains("differ only in case", Assert.Single(ParseErrors(yaml, caseInsensitive: true)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_shared_email_clashes_when_searching_by_email()
    {
        var yaml = $"users:\n  a:\n    displayname: a\n    password: '{Hash}'\n    email: x@example.com\n" +
                   $"  b:\n    displayname: b\n    password: '{Hash}'\n    email: X@example.com\n";

        Assert.NotNull(ParseOk(yaml).Find("a"));
        Assert.Contains("must be unique", Assert.Single(ParseErrors(yaml, email: true)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_email_equal_to_another_users_name_clashes_when_searching_by_email()
    {
        var yaml = $"users:\n  x@example.com:\n    displayname: a\n    password: '{Hash}'\n" +
                   $"  b:\n    displayname: b\n    password: '{Hash}'\n    email: x@example.com\n";

        Assert.Contains("is also the username", Assert.Single(ParseErrors(yaml, email: true)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_user_does_not_clash()
    {
        var yaml = $"users:\n  a:\n    displayname: a\n    password: '{Hash}'\n    email: x@example.com\n    disabled: true\n" +
                   $"  b:\n    displayname: b\n    password: '{Hash}'\n    email: x@example.com\n";

        Assert.Equal("b", ParseOk(yaml, email: true).Find("x@example.com")?.Details.Username);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "users.yml");

        var result = UsersFile.Load(path, new FileSearchOptions());

        Assert.Equal([$"users file '{path}': the file does not exist"], result.Errors);
    }
}
