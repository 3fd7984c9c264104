//go:build !windows

package store

// Elsewhere the key file is protected by its mode (0600) only: no
// user-bound key store is reachable from pure Go without a desktop
// session (the kernel keyring forgets at reboot, the Secret Service needs
// D-Bus and an unlocked login keyring).
var protectKEK, unprotectKEK func([]byte) ([]byte, error)
