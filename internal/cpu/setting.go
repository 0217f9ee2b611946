package cpu

import "os"

// Setting is DEGEN_KERNELS, read by both kernel packages: "portable" forces
// the Go code, "avx2" skips AVX-512, anything else takes the fastest path.
func Setting() string { return os.Getenv("DEGEN_KERNELS") }

// Allows reports whether the setting lets a kernel path named path run.
func Allows(setting, path string) bool {
	switch setting {
	case "portable":
		return path == "portable"
	case "avx2":
		return path != "avx512"
	}
	return true
}

// Choose returns the first of paths (fastest first) that the setting
// allows, by the name each has, or fallback if none is.
func Choose[P any](paths []P, name func(P) string, setting string, fallback P) P {
	for _, p := range paths {
		if Allows(setting, name(p)) {
			return p
		}
	}
	return fallback
}
