package lint

import "runtime/debug"

// Version is the version of the contractlint module in the running binary
// (set by `go install ...@version`, also when contractlint is a dependency),
// or "devel" for a local build. Reports and HAR recordings carry it.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := bi.Main.Version
	if bi.Main.Path != modulePath {
		v = ""
		for _, dep := range bi.Deps {
			if dep.Path == modulePath {
				v = dep.Version
			}
		}
	}
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
}
