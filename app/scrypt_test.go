package app

// The wrapped backup key of the tests costs milliseconds, not a second and
// 256 MB: the machine running them is shared.
func init() { scryptLogN = 12 }
