//go:build windows

package store

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the key file's key is protected with DPAPI for the user who
// made it (CryptProtectData, user scope): a copy of the file on a USB
// stick, another account or another computer unlocks nothing, and the
// collector types nothing. A passphrase (fieldbench passphrase set) still
// replaces it when the database must move.
var (
	protectKEK   = dpapi(true)
	unprotectKEK = dpapi(false)
)

func dpapi(protect bool) func([]byte) ([]byte, error) {
	return func(in []byte) ([]byte, error) {
		if len(in) == 0 {
			return nil, windows.ERROR_INVALID_PARAMETER
		}
		blob := windows.DataBlob{Size: uint32(len(in)), Data: &in[0]}
		var out windows.DataBlob
		var err error
		if protect {
			err = windows.CryptProtectData(&blob, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out)
		} else {
			err = windows.CryptUnprotectData(&blob, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out)
		}
		if err != nil {
			return nil, err
		}
		defer windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
		return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
	}
}
