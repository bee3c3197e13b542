using Portal.Crypto;

namespace Portal.Tests.Crypto;

public sealed class RandomStringTests
{
    [Theory]
    [InlineData("alphanumeric", 62)]
    [InlineData("alphabetic", 52)]
    [InlineData("numeric", 10)]
    [InlineData("numeric-hex", 16)]
    [InlineData("rfc3986", 66)]
    [InlineData("ascii", 94)]
    public void Named_charsets_have_the_expected_distinct_characters(string name, int size)
    {
        Assert.True(RandomString.TryGetCharset(name, out var charset));
        Assert.Equal(size, charset.Distinct().Count());
        Assert.Equal(size, charset.Length);
    }

    [Fact]
    public void Unknown_charset_names_are_not_accepted()
    {
        Assert.False(RandomString.TryGetCharset("emoji", out _));
    }

    [Fact]
    public void Generated_values_have_the_requested_length_and_only_charset_characters()
    {
        var value = RandomString.Generate(500, RandomString.NumericHex);
        Assert.Equal(500, value.Length);
        Assert.All(value, c => Assert.Contains(c, RandomString.NumericHex));
    }

    [Fact]
    public void Bytes_that_would_bias_a_modulo_are_discarded()
    {
        // 100 characters: 256 % 100 = 56, so bytes 200..255 must be skipped rather than wrapped onto the first 56.
        var charset = new string([.. Enumerable.Range(0, 100).Select(i => (char)('!' + i))]);
        byte[] source = [255, 200, 199, 0, 250, 99, 100];
        var position = 0;

        var value = RandomString.Generate(4, charset, buffer =>
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = source[position++ % source.Length];
            }
        });

        Assert.Equal(new string([charset[99], charset[0], charset[99], charset[0]]), value);
    }
}
