// The name the secret store sees for Electron's OS encryption. On Linux safeStorage reports the
// keyring it selected ("basic_text" means none: a hard-coded key, which main/secrets refuses).
export type LinuxStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export function encryptionBackendName(platform: NodeJS.Platform, linuxBackend: () => LinuxStorageBackend): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return linuxBackend();
}
