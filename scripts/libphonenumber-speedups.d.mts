import type {Plugin as EsbuildPlugin} from 'esbuild';
import type {Plugin as VitePlugin} from 'vite';

export declare const LIBPHONENUMBER_MODULES: RegExp;
export declare function speedUpLibphonenumber(path: string, source: string): string | undefined;
export declare const libphonenumberSpeedupsEsbuild: EsbuildPlugin;
export declare const libphonenumberSpeedupsVite: VitePlugin;
