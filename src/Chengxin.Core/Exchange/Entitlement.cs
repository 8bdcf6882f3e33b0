using Chengxin.Catalog;

namespace Chengxin.Exchange;

/// <summary>
/// Which receivers may subscribe to the changes of an item. City platforms and credit offices mirror the
/// whole catalog; user departments get what government sharing allows; the financial credit database,
/// credit agencies and banks get only public items (anything more needs the person's authorisation, per query).
/// </summary>
public static class Entitlement
{
    public static bool MayReceive(string organisationKind, bool usesData, Disclosure disclosure) => organisationKind switch
    {
        "city-platform" or "credit-office" => true,
        "financial-credit-database" or "credit-agency" or "bank" => disclosure == Disclosure.Public,
        _ => usesData && disclosure is Disclosure.Public or Disclosure.Government,
    };
}
