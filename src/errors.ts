/** Bad configuration or usage: the CLI prints `message` on one line and exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The setting at fault, as the flag name (`regions`), so the message can name it. */
  readonly setting: string;
  constructor(setting: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.setting = setting;
  }
}
