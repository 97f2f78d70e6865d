// The application (window) menu. Built from roles only. It matters most where there is no tray
// (GNOME without AppIndicator): File ▸ Quit is then the way out. DevTools and reload appear only
// in unpackaged dev runs.
import type { MenuItemConstructorOptions } from 'electron';
import { PRODUCT_NAME } from './app-identity.ts';

export function applicationMenuTemplate(platform: NodeJS.Platform, devTools: boolean): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(devTools ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] };
  if (platform === 'darwin') {
    return [
      { label: PRODUCT_NAME, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] },
      edit,
      view,
      windowMenu,
    ];
  }
  return [{ label: 'File', submenu: [{ role: 'close', label: 'Close window' }, { role: 'quit', label: `Quit ${PRODUCT_NAME}`, accelerator: 'CmdOrCtrl+Q' }] }, edit, view, windowMenu];
}
