namespace Chengxin.Hosting;

/// <summary>A configuration problem that stops the start; printed as one readable line per problem, never a stack trace.</summary>
public sealed class StartupException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
