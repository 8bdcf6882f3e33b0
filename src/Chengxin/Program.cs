using Chengxin.Cli;

// One program: no verb (or `serve`) runs the platform; the other verbs administer it.
return await Commands.Build().Parse(args).InvokeAsync();

/// <summary>Lets tests and tools name the program's assembly.</summary>
public partial class Program;
