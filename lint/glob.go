package lint

import (
	"path"
	"strings"
)

// matchGlob reports whether the slash-separated path name matches pattern.
// Pattern elements follow path.Match; "**" matches any number of elements
// (including none). A pattern without a slash matches the base name at any
// depth, as .gitignore does.
func matchGlob(pattern, name string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	name = strings.TrimPrefix(name, "./")
	if !strings.Contains(pattern, "/") {
		return matchParts([]string{"**", pattern}, strings.Split(name, "/"))
	}
	pattern = strings.TrimSuffix(pattern, "/")
	return matchParts(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchParts(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if matchParts(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// matchGlobOrParent reports whether name or one of its parent directories
// matches pattern, so that ignoring a directory ignores what is inside it.
func matchGlobOrParent(pattern, name string) bool {
	for {
		if matchGlob(pattern, name) {
			return true
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return false
		}
		name = name[:i]
	}
}
