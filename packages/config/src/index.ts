// Explicit named exports only (STYLE.md §1).
export type {
  BackpressureStrategy,
  ConcurrengineConfig,
  ConfigInput,
  ConfigLoader,
  ConfigWarning,
  EngineConfig,
  IsolationLevel,
  LoadedConfig,
  NetworkConfig,
  NetworkProtocol,
  PartitionStrategy,
  RestartPolicy,
  SpatialConfig,
  SupervisionConfig,
  SupervisionStrategy,
  TelemetryConfig,
  TelemetryExporter,
  ValueOrigin,
} from './config.js';
export type { Vec3 } from './autoValues.js';
export { ConfigError, formatIssue, formatLocation, isConfigError, type ConfigErrorCode, type ConfigIssue } from './errors.js';
export { createConfigLoader, loadConfig, type ConfigLoaderOptions } from './loadConfig.js';
export { configKeys, type ConfigKeyInfo } from './keys.js';
export { configEntries, stringifyConfig, type ConfigEntry } from './stringify.js';
export { formatDuration, formatEndpoint, formatFrequency, parseDuration, parseEndpoint, parseFrequency, type Endpoint } from './units.js';
