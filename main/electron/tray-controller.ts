// The tray icon. Applies policy/tray-view.ts: the icon and tooltip follow the worst current
// condition, the menu is rebuilt from state (Linux needs setContextMenu after any change anyway).
import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { CoreState } from '../../preload/contract.ts';
import type { Logger } from '../util/log.ts';
import { findMenuItem, type ShellAction } from './policy/tray-menu.ts';
import { startingTrayView, toMenuTemplate, trayView, type TrayView } from './policy/tray-view.ts';

export interface TrayControllerOptions {
  assetsDir: string;
  platform: NodeJS.Platform;
  logger: Logger;
  onAction(action: ShellAction): void;
  /** Windows/Linux: a left click opens the dashboard (macOS shows the menu instead). */
  onClick(): void;
}

export class TrayController {
  readonly #o: TrayControllerOptions;
  readonly #tray: Tray;
  #view: TrayView;
  #menuKey = '';

  constructor(options: TrayControllerOptions) {
    this.#o = options;
    this.#view = startingTrayView(options.platform);
    this.#tray = new Tray(this.#image(this.#view.icon));
    this.#tray.on('click', () => {
      if (options.platform !== 'darwin') options.onClick();
    });
    this.#apply(this.#view, undefined);
  }

  update(state: CoreState, nowMs: number): void {
    const next = trayView(state, this.#o.platform, nowMs);
    const previous = this.#view;
    this.#view = next;
    this.#apply(next, previous);
  }

  /** For the e2e test hook: what the tray shows now. */
  get view(): TrayView {
    return this.#view;
  }

  /** For the e2e test hook: runs a menu item's action as a click would. */
  click(id: string): boolean {
    const item = findMenuItem(this.#view.menu, id);
    if (!item || item.type === 'separator' || item.type === 'submenu' || !item.enabled || !item.action) return false;
    this.#o.onAction(item.action);
    return true;
  }

  destroy(): void {
    if (!this.#tray.isDestroyed()) this.#tray.destroy();
  }

  #apply(next: TrayView, previous: TrayView | undefined): void {
    if (this.#tray.isDestroyed()) return;
    if (!previous || previous.icon !== next.icon) {
      this.#tray.setImage(this.#image(next.icon));
      this.#o.logger.info('tray level', { level: next.level, reasons: next.reasons.slice(0, 3) });
    }
    if (!previous || previous.tooltip !== next.tooltip) this.#tray.setToolTip(next.tooltip);
    const key = JSON.stringify(next.menu);
    if (key !== this.#menuKey) {
      this.#menuKey = key;
      this.#tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(next.menu, (action) => this.#o.onAction(action))));
    }
  }

  #image(relative: string) {
    const image = nativeImage.createFromPath(join(this.#o.assetsDir, relative));
    if (image.isEmpty()) this.#o.logger.warn('tray icon missing', { icon: relative });
    if (this.#o.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }
}
