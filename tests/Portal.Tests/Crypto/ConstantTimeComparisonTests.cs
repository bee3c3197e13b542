using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using Portal.Crypto;

namespace Portal.Tests.Crypto;

/// <summary>
/// Timing can't be asserted reliably, so this checks the structure instead: every digest's <c>Matches</c> compares
/// through <see cref="CryptographicOperations.FixedTimeEquals"/> rather than an early-exit comparison.
/// </summary>
public sealed class ConstantTimeComparisonTests
{
    public static TheoryData<Type> DigestTypes() => [.. ConcreteDigestTypes()];

    private static IEnumerable<Type> ConcreteDigestTypes() =>
        typeof(PasswordDigest).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PasswordDigest)) && !t.IsAbstract);

    [Theory]
    [MemberData(nameof(DigestTypes))]
    public void Every_digest_compares_with_FixedTimeEquals(Type digestType)
    {
        var matches = digestType.GetMethod(nameof(PasswordDigest.Matches), BindingFlags.Public | BindingFlags.Instance)!;

        var called = CalledMethods(matches).ToList();

        Assert.Contains(called, m => m.DeclaringType == typeof(CryptographicOperations) && m.Name == nameof(CryptographicOperations.FixedTimeEquals));
        Assert.DoesNotContain(called, m => m.Name is "SequenceEqual" or "Equals" or "op_Equality");
    }

    [Fact]
    public void All_three_digest_families_are_covered()
    {
        var names = ConcreteDigestTypes().Select(t => t.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { nameof(Argon2Digest), nameof(ShaCryptDigest), nameof(Pbkdf2Digest) }, names);
    }

    // Walks the IL for call/callvirt/newobj and resolves their method tokens.
    private static IEnumerable<MethodBase> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var opcodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var opcode = opcodes[value];
            i += opcode.Size;
            if (opcode.OperandType == OperandType.InlineMethod)
            {
                var token = BitConverter.ToInt32(il, i);
                yield return method.Module.ResolveMethod(token)!;
            }
            i += opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (BitConverter.ToInt32(il, i) * 4),
                _ => 4,
            };
        }
    }
}
