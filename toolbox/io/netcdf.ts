import { ToolBoxError } from '../errors.js';
import type { Attrs, DataArray } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
export interface SaveXarrayOptions { group?: string; mode?: 'a' | 'w' }
export interface LoadXarrayOptions { group?: string; form?: 'dataset' | 'array' }
export async function saveXarray(file: string, data: Dataset | DataArray, options: SaveXarrayOptions = {}): Promise<void> { throw new ToolBoxError('saveXarray is not implemented yet'); }
export async function loadXarray(file: string, options?: LoadXarrayOptions & { form?: 'dataset' }): Promise<Dataset>;
export async function loadXarray(file: string, options: LoadXarrayOptions & { form: 'array' }): Promise<DataArray>;
export async function loadXarray(file: string, options: LoadXarrayOptions = {}): Promise<Dataset | DataArray> { throw new ToolBoxError('loadXarray is not implemented yet'); }
export async function saveAttributesH5(file: string, data: Attrs = {}): Promise<void> { throw new ToolBoxError('saveAttributesH5 is not implemented yet'); }
