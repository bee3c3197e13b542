namespace Portal.Regulation;

/// <summary>One key regulation holds in line: a canonical IP (<see cref="RegulationKeys.Ip"/>) or username key.</summary>
internal readonly record struct RegulationLockKey(RegulationSubject Subject, string Value);
