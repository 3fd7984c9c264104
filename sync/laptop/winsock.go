package laptop

import "syscall"

// Windows reports a failed connect with Winsock's codes (WSAECONNREFUSED
// and the like), which never equal the syscall package's E* values: there
// those are numbers Go made up. They are listed here, not in a _windows.go
// file, because no Unix errno comes near 10000, so matching them
// everywhere costs nothing and lets every machine test the Windows case.
const (
	wsaEADDRNOTAVAIL syscall.Errno = 10049
	wsaENETDOWN      syscall.Errno = 10050
	wsaENETUNREACH   syscall.Errno = 10051
	wsaECONNREFUSED  syscall.Errno = 10061
	wsaEHOSTUNREACH  syscall.Errno = 10065
)
