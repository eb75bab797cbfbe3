//go:build !windows

package ui

// nativeDialogs: elsewhere the program draws its own file dialog (filepick.go).
func nativeDialogs() bool { return false }

func nativeSave(string, string, string) (string, bool, error) { return "", false, nil }
func nativeOpen(string, []string) (string, bool, error)       { return "", false, nil }
func nativeFolder(string) (string, bool, error)               { return "", false, nil }
