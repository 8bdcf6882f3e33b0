namespace Chengxin;

/// <summary>The portal's strings: Resources/SharedResource.resx (zh-CN, the default) and SharedResource.en.resx.</summary>
public sealed class SharedResource;
