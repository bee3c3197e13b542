using System.Net;

namespace Portal.Regulation;

/// <summary>What a ban or a regulation window is keyed on.</summary>
internal enum RegulationSubject
{
    User,
    Ip,
}
