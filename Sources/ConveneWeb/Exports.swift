// The lifecycle's types (`CurrentUser`, `LoadedDiscussion`, `Operations`, `SiteURL`, `TOTP`…)
// are part of what this module offers: every file here, the executable and the tests see
// them without importing the layer themselves.
@_exported import ConveneLifecycle
