// The lifecycle's types (`CurrentUser`, `LoadedDiscussion`, `Operations`, `SiteURL`, `TOTP`…)
// are part of what this module offers: every file here, the executable and the tests see
// them without importing the layer themselves.
@_exported import ConveneLifecycle
// The directory sign-in's OpenID Connect client (`OIDCDirectory`, `OIDCRefusal`…), likewise.
@_exported import ConveneIdentity
