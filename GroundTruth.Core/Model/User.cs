using Microsoft.AspNetCore.Identity;

namespace GroundTruth.Core.Model;

/// <summary>An account (ASP.NET Core Identity). Its annotations, if any, belong to the <see cref="Member"/> with the same email.</summary>
public sealed class User : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";
}
