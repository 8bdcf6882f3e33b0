using Chengxin.Catalog;
using Microsoft.Extensions.Localization;

namespace Chengxin.Reports;

/// <summary>
/// The words people read for the codes the API speaks: categories, grades, identity types, channels and the basis
/// of a query (<c>authorisation:…</c>, <c>legal:…</c>, <c>refused:…</c>), in the portal's language.
/// </summary>
public static class ReportLabels
{
    public static string Category(IStringLocalizer text, string apiName) =>
        AuthorisationService.TryParseCategory(apiName, out var category) ? text[$"Category.{category}"] : apiName;

    public static string Category(IStringLocalizer text, CatalogCategory category) => text[$"Category.{category}"];

    public static string Grade(IStringLocalizer text, string? grade) => grade is null ? "" : Or(text[$"Grade.{grade}"], grade);

    public static string IdType(IStringLocalizer text, string code) => Or(text[$"IdType.{code}"], code);

    public static string Channel(IStringLocalizer text, string channel) => Or(text[$"Channel.{channel}"], channel);

    /// <summary>A query's basis as a sentence: the authorisation (by the start of its number), the provision, or why it was refused.</summary>
    public static string Basis(IStringLocalizer text, string basis)
    {
        var (kind, rest) = basis.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (basis[..colon], basis[(colon + 1)..]) : (basis, "");
        return kind switch
        {
            "authorisation" => text["Basis.Authorisation", rest.Length > 8 ? rest[..8] : rest],
            "legal" => text["Basis.Legal", rest],
            "refused" => text["Basis.Refused", Or(text[$"Refusal.{rest}"], rest)],
            "entitlement" => text["Basis.Entitlement", rest],
            _ => Or(text[$"Basis.{kind}"], basis),
        };
    }

    // A key the resources do not have comes back as itself: show the code rather than the key.
    private static string Or(LocalizedString found, string fallback) => found.ResourceNotFound ? fallback : found.Value;
}
