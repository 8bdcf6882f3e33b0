using Microsoft.Extensions.Localization;

// The assembly is named `chengxin` (the program's name); resources live under the Chengxin namespace.
[assembly: RootNamespace("Chengxin")]

namespace Chengxin;

/// <summary>The portal's strings: Resources/SharedResource.resx (zh-CN, the default) and SharedResource.en.resx.</summary>
public sealed class SharedResource;
