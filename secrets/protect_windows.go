//go:build windows

package secrets

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the file holds the secret encrypted with DPAPI for the current
// user account (CryptProtectData): another account, or the file copied to
// another computer, cannot read it.

func blob(b []byte) *windows.DataBlob {
	if len(b) == 0 {
		return &windows.DataBlob{}
	}
	return &windows.DataBlob{Size: uint32(len(b)), Data: &b[0]}
}

func out(d *windows.DataBlob) []byte {
	defer windows.LocalFree(windows.Handle(unsafe.Pointer(d.Data)))
	return append([]byte(nil), unsafe.Slice(d.Data, d.Size)...)
}

func protect(b []byte) ([]byte, error) {
	var d windows.DataBlob
	name, _ := windows.UTF16PtrFromString("Một Cửa")
	if err := windows.CryptProtectData(blob(b), name, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &d); err != nil {
		return nil, err
	}
	return out(&d), nil
}

func unprotect(b []byte) ([]byte, error) {
	var d windows.DataBlob
	if err := windows.CryptUnprotectData(blob(b), nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &d); err != nil {
		return nil, err
	}
	return out(&d), nil
}

// tightenMode: the folder's ACL is the user's own profile's.
func tightenMode(string) {}
