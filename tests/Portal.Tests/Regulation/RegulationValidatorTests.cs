using Portal.Configuration;
using Portal.Regulation;

namespace Portal.Tests.Regulation;

public sealed class RegulationValidatorTests
{
    private static List<string> Validate(RegulationOptions regulation)
    {
        var diag = new ConfigDiagnostics();
        RegulationValidator.Validate(new PortalOptions { Regulation = regulation }, diag);
        Assert.Empty(diag.Warnings);
        return diag.Errors.Select(d => d.ToString()).ToList();
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Validate(new RegulationOptions()));
    }

    [Fact]
    public void User_and_ip_together_are_valid_and_zero_retries_disables_without_error()
    {
        Assert.Empty(Validate(new RegulationOptions { Modes = ["user", "ip"], MaxRetries = 0 }));
    }

    [Fact]
    public void An_unknown_mode_is_named_in_the_error()
    {
        var errors = Validate(new RegulationOptions { Modes = ["user", "User", "email"] });

        Assert.Equal(
            [
                "regulation: option 'modes' must only contain the values 'user' and 'ip' but contains the value 'User'",
                "regulation: option 'modes' must only contain the values 'user' and 'ip' but contains the value 'email'",
            ],
            errors);
    }

    [Fact]
    public void An_empty_mode_list_is_an_error()
    {
        Assert.Equal(
            ["regulation: option 'modes' must contain at least one of 'user' or 'ip'"],
            Validate(new RegulationOptions { Modes = [] }));
    }

    [Fact]
    public void Negative_max_retries_is_an_error()
    {
        Assert.Equal(
            ["regulation: option 'max_retries' must be 0 (disabled) or greater"],
            Validate(new RegulationOptions { MaxRetries = -1 }));
    }

    [Fact]
    public void Zero_durations_are_errors_and_do_not_also_report_the_ordering()
    {
        Assert.Equal(
            [
                "regulation: option 'find_time' must be greater than 0",
                "regulation: option 'ban_time' must be greater than 0",
            ],
            Validate(new RegulationOptions { FindTime = TimeSpan.Zero, BanTime = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void A_find_time_longer_than_ban_time_is_an_error_as_in_Authelia()
    {
        Assert.Equal(
            ["regulation: option 'find_time' must be less than or equal to option 'ban_time'"],
            Validate(new RegulationOptions { FindTime = TimeSpan.FromMinutes(10), BanTime = TimeSpan.FromMinutes(5) }));
    }

    [Fact]
    public void A_find_time_equal_to_ban_time_is_valid()
    {
        Assert.Empty(Validate(new RegulationOptions { FindTime = TimeSpan.FromMinutes(5), BanTime = TimeSpan.FromMinutes(5) }));
    }
}
