// The few settings the shell itself acts on, read from the bridge's settings view. Parsed
// leniently: a missing or odd value falls back to the schema default rather than breaking the tray.
import { z } from 'zod';

export interface ShellSettings {
  loginItem: boolean;
  coalesceMinutes: number;
}

export const DEFAULT_SHELL_SETTINGS: ShellSettings = { loginItem: false, coalesceMinutes: 5 };

const ShellSettingsSchema = z.object({
  ui: z
    .object({
      loginItem: z.boolean().catch(DEFAULT_SHELL_SETTINGS.loginItem).default(DEFAULT_SHELL_SETTINGS.loginItem),
      notifications: z
        .object({
          coalesceMinutes: z.number().int().min(0).max(1440).catch(DEFAULT_SHELL_SETTINGS.coalesceMinutes).default(DEFAULT_SHELL_SETTINGS.coalesceMinutes),
        })
        .catch({ coalesceMinutes: DEFAULT_SHELL_SETTINGS.coalesceMinutes })
        .default({ coalesceMinutes: DEFAULT_SHELL_SETTINGS.coalesceMinutes }),
    })
    .catch({ loginItem: DEFAULT_SHELL_SETTINGS.loginItem, notifications: { coalesceMinutes: DEFAULT_SHELL_SETTINGS.coalesceMinutes } })
    .default({ loginItem: DEFAULT_SHELL_SETTINGS.loginItem, notifications: { coalesceMinutes: DEFAULT_SHELL_SETTINGS.coalesceMinutes } }),
});

export function shellSettingsFrom(settings: unknown): ShellSettings {
  const parsed = ShellSettingsSchema.safeParse(settings ?? {});
  if (!parsed.success) return { ...DEFAULT_SHELL_SETTINGS };
  return { loginItem: parsed.data.ui.loginItem, coalesceMinutes: parsed.data.ui.notifications.coalesceMinutes };
}
