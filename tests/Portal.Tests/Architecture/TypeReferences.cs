namespace Portal.Tests.Architecture;

/// <summary>What the architecture tests look through when they ask which types a signature uses.</summary>
internal static class TypeReferences
{
    /// <summary>The type, its element type (arrays, by-ref, pointers) and its generic arguments, recursively.</summary>
    public static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Flatten(element))
            {
                yield return t;
            }
        }
        if (type.IsGenericType)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return t;
            }
        }
    }
}
