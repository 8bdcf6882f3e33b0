namespace Chengxin.Records;

/// <summary>Rules that depend on who provides a record (issue 3, "special providers").</summary>
public static class ProviderRules
{
    public const int AgeOfMajority = 18;

    /// <summary>
    /// Schools report only on students who were adults on the date of the act: a minor's school
    /// record never enters a credit archive. Null when the record may be pushed.
    /// </summary>
    public static FieldError? School(DateOnly? birth, DateOnly occurredOn)
    {
        if (birth is not { } born)
        {
            return new("subject.idType", "age-unverifiable", "A school may push records only about people whose resident ID shows they were 18 or older on the date of the act.");
        }
        return AgeOn(born, occurredOn) < AgeOfMajority
            ? new("occurredOn", "minor", $"The student was {AgeOn(born, occurredOn)} on {occurredOn:yyyy-MM-dd}; schools push records only about students aged 18 or older.")
            : null;
    }

    /// <summary>Whole years of age on a date.</summary>
    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return day < birth.AddYears(age) ? age - 1 : age;
    }

    /// <summary>Records from the financial credit database and licensed credit agencies are kept as references to their source.</summary>
    public static bool IsReference(string providerKind) => providerKind is "financial-credit-database" or "credit-agency";
}
